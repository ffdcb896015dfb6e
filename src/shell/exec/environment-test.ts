// A question about an environment's values, answered once per environment
// object: the shell hands every external command the same object until a
// variable changes (Variables builds a new one then), so a scan of every
// value per command would repeat the same work. Imports nothing.

/** `test` of any value of an environment, remembered per environment object. */
export function anyEnvironmentValue(test: (value: string) => boolean): (env: Readonly<Record<string, string>>) => boolean {
  const answers = new WeakMap<object, boolean>();
  return (env) => {
    let answer = answers.get(env);
    if (answer === undefined) {
      answer = Object.values(env).some(test);
      answers.set(env, answer);
    }
    return answer;
  };
}
