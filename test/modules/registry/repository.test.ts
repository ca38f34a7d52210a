import { lifecyclePolicy } from "../../../modules/registry/repository";

// ECR lifecycle policy parameters (Amazon ECR user guide, "Lifecycle policy properties"): a rule
// with tagStatus "any" must have the highest rulePriority; countNumber is a positive integer.
describe("lifecyclePolicy", () => {
    it("expires every image past the newest ones kept, tagged or not", () => {
        expect(JSON.parse(lifecyclePolicy(30))).toEqual({
            rules: [
                {
                    rulePriority: 1,
                    description: "Keep the last 30 images",
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
                    action: { type: "expire" },
                },
            ],
        });
    });

    it("follows the number of images kept", () => {
        const policy = JSON.parse(lifecyclePolicy(5)) as { rules: Array<{ description: string; selection: { countNumber: number } }> };
        expect(policy.rules).toHaveLength(1);
        expect(policy.rules[0]!.selection.countNumber).toBe(5);
        expect(policy.rules[0]!.description).toBe("Keep the last 5 images");
    });
});
