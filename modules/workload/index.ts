/** The workload layer: the app on Kubernetes, and the in-cluster data stores of dev and pr-<N>. */
export * from "./app";
export * from "./clusters";
export * from "./image";
export * from "./namespace";
export * from "./security";
export * from "./seed";
export * from "./stores";
export * from "./tracks";
export * from "./identity";
