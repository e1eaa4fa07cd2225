/**
 * validate's own bundle (dist/validate.cjs, from validate-cli.ts) holds what a plain `tfaml validate` needs and
 * nothing it reaches through a dynamic import: the build resolves every `import()` in it to handoff-stub.ts, whose
 * loading throws HandOff. The driver lets it through, validate-cli.ts answers "not here", and the launcher (bin.ts)
 * runs the same command line through the full CLI. Every dynamic import on validate's path comes before validate
 * prints or writes anything (the GitHub runner services, the Azure workspace checks), so nothing is done twice.
 */
export class HandOff extends Error {
  constructor(what: string) {
    super(`${what} is not in validate's own bundle; the full CLI runs this command line`);
    this.name = 'HandOff';
  }
}
