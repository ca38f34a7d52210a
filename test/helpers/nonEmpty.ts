/**
 * The list, once it is known not to be empty: a loop of assertions over an empty list asserts
 * nothing and passes, so a test that asserts something of every item asks for at least one.
 */
export function nonEmpty<T>(list: readonly T[], what = "the list"): readonly T[] {
    if (list.length === 0) throw new Error(`expected at least one item in ${what}: a loop of assertions over none asserts nothing`);
    return list;
}
