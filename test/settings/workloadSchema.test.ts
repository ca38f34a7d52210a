import { quantity } from "../../settings/workloadSchema";

describe("Kubernetes quantities", () => {
    it("compares quantities across units", () => {
        expect([quantity("250m"), quantity("1"), quantity("0.5"), quantity("512Mi"), quantity("1Gi")]).toEqual([0.25, 1, 0.5, 512 * 2 ** 20, 2 ** 30]);
        expect(quantity("lots")).toBeNaN();
    });
});
