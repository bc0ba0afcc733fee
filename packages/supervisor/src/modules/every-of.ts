/**
 * A list checked at compile time to name every member of a union (the API's methods of a module,
 * the qualities): a member missing from the list is a type error naming it.
 */

/** `everyOf<U>()([...])`: the list as given, refused by the compiler unless it holds every member of `U`. */
export function everyOf<U extends string>() {
  return <const L extends readonly U[]>(
    list: L & ([Exclude<U, L[number]>] extends [never] ? unknown : { missing: Exclude<U, L[number]> }),
  ): L => list;
}
