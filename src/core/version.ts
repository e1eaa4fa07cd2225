/** The package's version, from package.json (the bundle carries it; nothing is read at run time). */
import pkg from '../../package.json' with { type: 'json' };

export const TFAML_VERSION: string = pkg.version;
