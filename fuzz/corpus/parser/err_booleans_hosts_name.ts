import { defineContainer } from "@lunora/container";

export const flags = defineContainer({
  image: "./c/a",
  enableInternet: "false",
  interceptHttps: 1,
  allowedHosts: ["", "https://api.github.com", "ok.example.com"],
  deniedHosts: "*.evil.com",
  name: "",
  pingEndpoint: "",
});
export const nameNumber = defineContainer({ image: "./c/a", name: 7, pingEndpoint: 8 });
