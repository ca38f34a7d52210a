/**
 * The controllers' Helm values that keep their state safe, as the pinned chart
 * versions read them (each key checked against that version's values.yaml and templates). Pure,
 * so the tests read the same values the releases get.
 */

/** The annotation that makes Helm leave a resource in place when the release is uninstalled or replaced. */
export const HELM_KEEP = { "helm.sh/resource-policy": "keep" } as const;

/**
 * External Secrets Operator (chart `external-secrets` 2.8.0). Its CRDs are chart templates (not
 * Helm's `crds/` directory), so uninstalling or replacing the release deletes them, with them every
 * ExternalSecret and, through `creationPolicy: Owner`, the app's Secret. `crds.annotations` is the
 * chart's hook for annotating every CRD it renders (hack/helm.generate.sh): `keep` leaves them. A
 * release installed again under the same name and namespace adopts them (Helm's ownership labels).
 */
export function externalSecretsValues(serviceAccount: string): Record<string, unknown> {
    return {
        installCRDs: true,
        crds: { annotations: { ...HELM_KEEP } },
        serviceAccount: { create: true, name: serviceAccount },
    };
}
