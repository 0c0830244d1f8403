// An ESLint rule that keeps imports pointing the way DESIGN.md says: renderer → core/api, electron → core, core → core only.
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The room a file lives in: 'core', 'core/api', 'electron', 'renderer', or null for everything else. */
function roomOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === 'core') return rel[1] === 'api' ? 'core/api' : 'core';
  if (rel[0] === 'electron' || rel[0] === 'renderer') return rel[0];
  return null;
}

const PLATFORM = /^(node:|electron($|\/)|vue($|\/)|pinia($|\/)|cytoscape($|\/)|@vue\/|@xterm\/|vue-i18n($|\/))/;

/** Why `source`, imported from a file in room `from`, breaks the direction of dependencies; null when it is allowed. */
function violation(from, file, source) {
  const relative = source.startsWith('.');
  const target = relative ? roomOf(path.resolve(path.dirname(file), source)) : null;
  if (from === 'core' || from === 'core/api') {
    if (!relative) return `core/ runs anywhere and imports no package or platform module ('${source}'); keep it pure TypeScript`;
    if (target !== 'core' && target !== 'core/api') return `core/ imports nothing outside core/ ('${source}')`;
    return null;
  }
  if (from === 'renderer') {
    if (/^(node:|electron($|\/))/.test(source)) return `the renderer has no Node or Electron ('${source}'); go through window.vmnetlab`;
    if (relative && (target === 'core')) return `the renderer imports only core/api from core ('${source}')`;
    if (relative && target === 'electron') return `the renderer does not import the main process ('${source}')`;
    return null;
  }
  if (from === 'electron') {
    if (relative && target === 'renderer') return `the main process does not import the renderer ('${source}')`;
    if (!relative && PLATFORM.test(source) && /^(vue|pinia|cytoscape|@vue\/|@xterm\/|vue-i18n)/.test(source)) return `the main process does not import UI packages ('${source}')`;
    return null;
  }
  return null;
}

export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports point one way: renderer → core/api, electron → core, core → nothing outside core.' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = roomOf(file);
    if (!from) return {};
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const why = violation(from, file, node.source.value);
      if (why) context.report({ node: node.source, message: why });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: (node) => {
        if (node.source.type === 'Literal') check({ source: node.source });
      },
    };
  },
};

export const plugin = { rules: { boundaries } };
