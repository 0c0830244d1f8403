// Types the bundler supplies: .vue modules for plain TypeScript checkers, and the build-time flags of Vue and vue-i18n.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export { component as default };
}
