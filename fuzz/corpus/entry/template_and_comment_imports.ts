import { Hono } from "hono";
const app = new Hono();
/*
import x from "y";
*/
const t = `
import z from "w";
`;
export default app;
