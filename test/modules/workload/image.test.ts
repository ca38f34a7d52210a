import { contentHash, imageReference } from "../../../modules/workload/image";

const DIGEST = `sha256:${"ab12".repeat(16)}`;

describe("imageReference", () => {
    it("pins by digest when one is known, whatever the tag", () => {
        expect(imageReference({ repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/app", tag: "1.4.2", digest: DIGEST })).toBe(
            `123456789012.dkr.ecr.us-east-1.amazonaws.com/myapp/app@${DIGEST}`,
        );
        expect(imageReference({ repository: "myapp/app", digest: DIGEST })).toBe(`myapp/app@${DIGEST}`);
    });

    it("takes the digest even beside the refused latest tag: the digest names one image", () => {
        expect(imageReference({ repository: "myapp/app", tag: "latest", digest: DIGEST })).toBe(`myapp/app@${DIGEST}`);
    });

    it("pins by tag without a digest", () => {
        expect(imageReference({ repository: "myapp/app", tag: "1.4.2" })).toBe("myapp/app:1.4.2");
    });

    it("refuses latest and an image with neither, naming the image and what it got", () => {
        expect(() => imageReference({ repository: "myapp/app", tag: "latest" })).toThrow(new Error("The image myapp/app needs a pinned tag or a digest; got latest."));
        expect(() => imageReference({ repository: "myapp/app" })).toThrow(new Error("The image myapp/app needs a pinned tag or a digest; got neither."));
    });

    it("accepts tags that merely contain latest", () => {
        expect(imageReference({ repository: "myapp/app", tag: "latest-1.4" })).toBe("myapp/app:latest-1.4");
    });
});

describe("contentHash", () => {
    it("is the first 10 hex digits of the SHA-256 of the parts joined by NUL", () => {
        // sha256("a\0b") = 59b271ae1bbcb1d3...
        expect(contentHash("a", "b")).toBe("59b271ae1b");
        // sha256("") = e3b0c44298fc1c14...
        expect(contentHash()).toBe("e3b0c44298");
    });

    it("tells apart parts that concatenate alike", () => {
        expect(contentHash("ab")).toBe("fb8e20fc2e");
        expect(contentHash("a", "b")).not.toBe(contentHash("ab"));
    });
});
