import { defineContainer } from "@lunora/container";

export const fetcher = defineContainer({
  image: "./containers/fetcher",
  enableInternet: false,
  allowedHosts: ["*.stripe.com", "api.github.com"],
  deniedHosts: ["*.evil.com"],
  interceptHttps: true, // extend the lists to TLS traffic (image must trust the Cloudflare CA)
});
