// Where a tab's main-thread time goes: a Chrome trace (CDP Tracing) of one window,
// broken down by trace event name as self time (an event's duration minus the events
// nested in it) on the renderer's main thread. Used by the bench to show what a burst
// costs in style, layout and script, with and without the extension.

const CATEGORIES = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'blink.user_timing',
];

/** Starts tracing through a CDP session; `stop()` resolves to the trace's events. */
export async function startTrace(cdp) {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: CATEGORIES, excludedCategories: ['*'] },
  });
  return {
    async stop() {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      const { stream } = await done;
      let text = '';
      for (;;) {
        const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
        text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
        if (chunk.eof) break;
      }
      await cdp.send('IO.close', { handle: stream });
      const parsed = JSON.parse(text);
      return Array.isArray(parsed) ? parsed : parsed.traceEvents;
    },
  };
}

/** The renderer main threads (pid, tid) of a trace: threads named CrRendererMain. */
function mainThreads(events) {
  return events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`);
}

/**
 * Self time (ms) by event name on the renderer main threads, plus the total of the
 * top-level tasks. `pid` narrows to one renderer (the tab's) when given.
 */
export function breakdown(events, { pid } = {}) {
  const threads = new Set(mainThreads(events));
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur == null) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!threads.has(key) || (pid != null && e.pid !== pid)) continue;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  const self = new Map();
  let tasks = 0;
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const stack = [];
    const close = (until) => {
      while (stack.length && stack[stack.length - 1].end <= until) {
        const top = stack.pop();
        self.set(top.name, (self.get(top.name) || 0) + Math.max(0, top.dur - top.children));
      }
    };
    for (const e of list) {
      close(e.ts);
      const parent = stack[stack.length - 1];
      if (parent) parent.children += Math.min(e.dur, parent.end - e.ts);
      else if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') tasks += e.dur;
      stack.push({ name: e.name, end: e.ts + e.dur, dur: e.dur, children: 0 });
    }
    close(Infinity);
  }
  const ms = new Map([...self.entries()].map(([k, v]) => [k, v / 1000]));
  return { tasks: tasks / 1000, self: ms };
}

/** Groups self times into what a reader knows: style, layout, script, paint, other. */
export function grouped(self) {
  const groups = {
    'style (recalculation, invalidation)': /^(UpdateLayoutTree|RecalculateStyles|ScheduleStyleRecalculation|InvalidateLayout|StyleInvalidator.*|StyleRecalcInvalidationTracking|ParseAuthorStyleSheet)$/,
    layout: /^(Layout|UpdateLayout|LocalFrameView::layout|PrePaint)$/,
    'paint and compositing': /^(Paint|PaintImage|UpdateLayer|UpdateLayerTree|Layerize|CompositeLayers|Commit|RasterTask|PaintArtifactCompositor.*)$/,
    'script (JS and wasm)': /^(FunctionCall|EvaluateScript|v8\.|V8\.|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|MutationObserver|v8.callFunction|v8.run|v8.compile|V8.Execute|ProfileCall|CpuProfiler::StartProfiling)/,
    'garbage collection': /(GC|Scavenge|MajorGC|MinorGC|Mark|Sweep|Heap)/i,
  };
  const out = new Map(Object.keys(groups).map((k) => [k, 0]));
  out.set('other', 0);
  for (const [name, v] of self) {
    const g = Object.keys(groups).find((k) => groups[k].test(name)) || 'other';
    out.set(g, out.get(g) + v);
  }
  return out;
}
