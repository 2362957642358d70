export const NOTE = `
import { defineContainer } from "@lunora/container";
`;