import { Component, type ComponentChild } from 'preact';

/**
 * A component that renders again only when one of its props changed (by identity), like
 * preact/compat's memo without bringing compat into the bundle.
 */
export function memo<P extends object>(render: (props: P) => ComponentChild) {
  return class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const previous = this.props as Record<string, unknown>;
      const keys = Object.keys(next);
      return (
        keys.length !== Object.keys(previous).length ||
        keys.some((key) => (next as Record<string, unknown>)[key] !== previous[key])
      );
    }

    override render(props: P): ComponentChild {
      return render(props);
    }
  };
}
