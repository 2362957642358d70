import a from "a";
export { b } from "b" // trailing
export default { fetch() { return new Response(`${a}`) } };
