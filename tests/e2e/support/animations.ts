import type { Page } from '@playwright/test';

/**
 * The animations on the page (shadow roots included) that would run forever. A page an agent or a
 * visitor keeps open must come to rest: a looping animation keeps the compositor drawing every frame,
 * which costs the laptop's battery (and, under a headless browser, a CI machine's CPU).
 */
export function endlessAnimations(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const endless: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const animation of root.getAnimations()) {
        if (animation.playState === 'running' && animation.effect?.getComputedTiming().iterations === Infinity) {
          const target = (animation.effect as KeyframeEffect).target;
          const name = (animation as CSSAnimation).animationName ?? 'script animation';
          endless.push(`${name} on ${target?.tagName.toLowerCase()}.${target?.className}`);
        }
      }
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
    };
    visit(document);
    return endless;
  });
}
