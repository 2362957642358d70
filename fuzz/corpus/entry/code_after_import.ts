import a from "a"; run(); const s = `
x`;let r = /[/]"/g;
