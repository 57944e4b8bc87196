/**
 * The configurator as an ES module ("msr-expose/configurator"). Importing it
 * mounts a configurator into every `[data-msr-expose]` element and defines
 * `<msr-expose-configurator spec="…" permalink="…">`.
 */

/** Resolves once msr-expose runs and every configurator on the page is mounted; rejects if it cannot start. */
export const ready: Promise<void>;

/** Mounts a configurator into `root` (call after `ready`); its attributes are read as the element's. */
export function mount(root: Element): void;

declare global {
  interface HTMLElementTagNameMap {
    "msr-expose-configurator": HTMLElement;
  }
}
