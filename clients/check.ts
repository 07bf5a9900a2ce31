// Typechecked by tsc against the types GraphQL Code Generator wrote for
// the README's operations (clients/run.sh): what a front end would write.
import type { MyPlanQuery, MyProgressionQuery, SignInMutation } from "./generated/types";

// Date is configured as a string (ISO 8601 calendar date).
const today: NonNullable<MyProgressionQuery["me"]["progression"]["options"][number]["eligibleOn"]> = "2026-11-26";

export function nextStep(q: MyProgressionQuery): string | null {
  const option = q.me.progression.options.find((o) => o.status === "ELIGIBLE");
  return option ? `${option.targetRole.code} from ${option.eligibleOn ?? today}` : null;
}

export function pay(q: MyProgressionQuery): string {
  // Money is an exact decimal string, never a number.
  const amount: string | undefined = q.me.salary?.amount;
  return amount === undefined ? "hidden" : `${amount} ${q.me.salary?.currency}`;
}

export function token(m: SignInMutation): string {
  return m.login.token;
}

export function dueDates(q: MyPlanQuery): string[] {
  return q.me.plan.actions.map((a) => a.dueOn ?? "any time");
}
