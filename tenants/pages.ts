// Plain pages served before Remix: they name no school.
const shell = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f8fafc;color:#0f172a}
main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.5rem}</style></head>
<body><main>${body}</main></body></html>`;

export function notFoundPage() {
  return shell("Not found", `<h1>There is nothing here</h1><p>No school uses this address. Check the link you followed.</p>`);
}
