import { Page } from '@playwright/test';

// The test machine's Chromium has no voices: `speechSynthesis` is replaced in the page by a
// recorder. Each `speak()` is recorded (text, lang, voice) and stays "speaking" until the test
// ends it, so the test steps through the reading one sentence at a time.
export type Voice = { name: string; lang: string; localService: boolean };
export type Spoken = { text: string; lang: string; voice: string | null; rate: number; highlighted: string | null };

export const pageErrors = new WeakMap<Page, string[]>();

export async function installRecorder(page: Page, voices: Voice[]) {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript((voices: Voice[]) => {
    class FakeVoice {
      name: string; lang: string; localService: boolean; default = false; voiceURI: string;
      constructor(v: Voice) { this.name = v.name; this.lang = v.lang; this.localService = v.localService; this.voiceURI = v.name; }
    }
    class FakeUtterance {
      text: string; lang = ''; voice: FakeVoice | null = null; rate = 1; pitch = 1; volume = 1;
      onstart: ((e: unknown) => void) | null = null;
      onend: ((e: unknown) => void) | null = null;
      onerror: ((e: unknown) => void) | null = null;
      constructor(text: string) { this.text = text; }
    }
    const made = voices.map((v) => new FakeVoice(v));
    const log: Spoken[] = [];
    let queue: FakeUtterance[] = [];
    let current: FakeUtterance | null = null;
    const calls: string[] = [];
    const synth = {
      get speaking() { return current !== null; },
      paused: false, pending: false,
      onvoiceschanged: null as null | (() => void),
      getVoices: () => made.slice(),
      speak(u: FakeUtterance) {
        queue.push(u);
        if (!current) start();
      },
      cancel() {
        calls.push('cancel');
        const cut = [current, ...queue].filter((u): u is FakeUtterance => u !== null);
        current = null; queue = []; synth.paused = false;
        for (const u of cut) u.onerror?.({ error: 'interrupted', utterance: u });
      },
      pause() { calls.push('pause'); synth.paused = true; },
      resume() { calls.push('resume'); synth.paused = false; },
      addEventListener() {}, removeEventListener() {},
    };
    function start() {
      const u = queue.shift();
      if (!u) return;
      current = u;
      // What the page highlights as this sentence starts.
      const h = (CSS as any).highlights?.get('reading');
      const ranges: Range[] = h ? [...h] : [];
      log.push({
        text: u.text, lang: u.lang, voice: u.voice ? u.voice.name : null, rate: u.rate,
        highlighted: ranges.length ? ranges.map((r) => r.toString()).join('') : null,
      });
      u.onstart?.({ utterance: u });
    }
    // The test ends the utterance being spoken.
    (window as any).__speech = {
      log,
      calls,
      endCurrent() {
        const u = current;
        current = null;
        u?.onend?.({ utterance: u });
        if (!current && queue.length) start();
      },
      get speaking() { return current !== null; },
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    (window as any).SpeechSynthesisUtterance = FakeUtterance;
    (window as any).SpeechSynthesisVoice = FakeVoice;
  }, voices);
}

export const ALL_VOICES: Voice[] = [
  { name: 'English', lang: 'en-US', localService: true },
  { name: 'Generic zh', lang: 'zh', localService: true },
  { name: 'Mandarin online', lang: 'zh-CN', localService: false },
  { name: 'Mandarin local', lang: 'zh-CN', localService: true },
  { name: 'Taiwan', lang: 'zh-TW', localService: true },
  { name: 'Cantonese', lang: 'yue-HK', localService: true },
];

export const log = (page: Page): Promise<Spoken[]> => page.evaluate(() => (window as any).__speech.log);
export const endCurrent = (page: Page) => page.evaluate(() => (window as any).__speech.endCurrent());

