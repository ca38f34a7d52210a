/** Redis on ElastiCache. */
export { RedisCache, type RedisCacheArgs } from "./cache";
