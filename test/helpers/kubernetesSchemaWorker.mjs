// Validates Kubernetes objects with kubernetes-models (ESM only since 5.0, so it runs here, in a
// plain Node process, rather than inside jest's CommonJS runtime). Reads a JSON array of
// `{ path, object }` on stdin (`path` as test/helpers/kubernetesSchema.ts maps a Pulumi type to a
// model, `apps/v1/Deployment`; null when it has none) and writes one result per object.
const input = JSON.parse(await new Promise((resolve) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => resolve(text));
}));

const results = [];
for (const { path, object } of input) {
    let Model;
    if (path) {
        try {
            Model = (await import(`kubernetes-models/${path}`))[path.split("/").pop()];
        } catch {
            Model = undefined;
        }
    }
    if (!Model) {
        results.push({ kind: "no-schema" });
        continue;
    }
    try {
        new Model(object).validate();
        results.push({ kind: "valid" });
    } catch (e) {
        results.push({ kind: "invalid", message: e.message });
    }
}
process.stdout.write(JSON.stringify(results));
