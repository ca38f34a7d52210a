/** The files bucket and its DR-region replica. */
export { FilesBucket, tlsOnlyStatements, type FilesBucketArgs } from "./bucket";
