// Runs Oscilla's executor on small hand-built programs and prints the values that
// docs/runtime/execution-model.md quotes (Examples 1 and 3, defects D2-D4, D6, D16 and the
// notes on events and the placement basis).
//
// Usage, like print-schedule.mts: from an Oscilla checkout after `npm install` there,
//   npx tsx /path/to/doclint/scripts/oscilla/verify-claims.mts [OSCILLA_CHECKOUT]
//
// The programs are built by hand because the compiler cannot be loaded at the pinned commit
// (D1). Their slot layout follows the one the compiler produces: slot 0 is the stride-4
// palette at offset 0, and each later stride-1 slot k sits at offset k + 3.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(process.argv[2] ?? process.env.OSCILLA_ROOT ?? '.');
const load = (rel: string) => import(pathToFileURL(path.join(root, 'src', rel)).href);
const { executeFrame } = await load('runtime/ScheduleExecutor.ts');
const { evaluateSignal } = await load('runtime/SignalEvaluator.ts');
const { materialize } = await load('runtime/Materializer.ts');
const runtime = await load('runtime/RuntimeState.ts');
const { getTestArena } = await load('runtime/__tests__/test-arena-helper.ts');
const types = await load('core/canonical-types.ts');

const FLOAT = types.canonicalType(types.FLOAT);
const ADD = { kind: 'opcode', opcode: 'add' };
const INSTANCE = { instanceId: 'i0', domainTypeId: 'd0' };
const FIELD = types.canonicalField(types.FLOAT, { kind: 'scalar' }, INSTANCE);
const FOUR_LANES = new Map([['i0', { id: 'i0', count: 4, domainType: 'd0', identityMode: 'none', lifecycle: 'static' }]]);
const offsetOf = (slot: number) => slot + 3;

interface ProgramParts {
  signals?: unknown[]; fields?: unknown[]; events?: unknown[]; steps: unknown[];
  slots?: number; objectSlots?: number[]; stateSlots?: number; eventSlots?: number;
  instances?: Map<string, unknown>;
}

function program(parts: ProgramParts) {
  const slotMeta: unknown[] = [{ slot: 0, storage: 'f64', offset: 0, stride: 4, type: FLOAT }];
  for (let slot = 1; slot <= (parts.slots ?? 4); slot++) {
    slotMeta.push(parts.objectSlots?.includes(slot)
      ? { slot, storage: 'object', offset: 0, stride: 1, type: FIELD }
      : { slot, storage: 'f64', offset: offsetOf(slot), stride: 1, type: FLOAT });
  }
  const events = parts.events ?? [];
  return {
    irVersion: 1, constants: { json: [] }, outputs: [], slotMeta, debugIndex: {},
    fieldSlotRegistry: new Map(), renderGlobals: [],
    signalExprs: { nodes: parts.signals ?? [] }, fieldExprs: { nodes: parts.fields ?? [] },
    eventExprs: { nodes: events },
    schedule: {
      timeModel: { kind: 'infinite' }, instances: parts.instances ?? new Map(), steps: parts.steps,
      stateSlotCount: parts.stateSlots ?? 0, stateSlots: [], stateMappings: [],
      eventSlotCount: parts.eventSlots ?? 0, eventExprCount: events.length,
    },
  };
}

function stateFor(p: any) {
  const s = p.schedule;
  return runtime.createRuntimeState(64, s.stateSlotCount, s.eventSlotCount, s.eventExprCount);
}

function runFrame(p: any, state: any, tMs: number): void {
  executeFrame(p, state, getTestArena(), tMs);
}

function example1(constValue: unknown): void {
  const p = program({
    signals: [{ kind: 'const', value: constValue, type: FLOAT }, { kind: 'stateRead', stateSlot: 0, type: FLOAT },
      { kind: 'zip', inputs: [0, 1], fn: ADD, type: FLOAT }],
    steps: [{ kind: 'evalSig', expr: 0, target: 1 }, { kind: 'evalSig', expr: 1, target: 2 },
      { kind: 'evalSig', expr: 2, target: 3 }, { kind: 'stateWrite', stateSlot: 0, value: 2 }],
    slots: 3, stateSlots: 1,
  });
  const state = stateFor(p);
  console.log(`Example 1, constant ${JSON.stringify(constValue)}: frame, state[0] at start, dOut, sum, state[0] after`);
  for (let frame = 1; frame <= 5; frame++) {
    const start = state.state[0];
    runFrame(p, state, frame * 16);
    console.log(`  ${frame}: ${start} ${state.values.f64[offsetOf(2)]} ${state.values.f64[offsetOf(3)]} ${state.state[0]}`);
  }
}

function example3(): void {
  // sum = c + second delay's output; first delay reads state[0] (sum), second reads state[1].
  const signals = [{ kind: 'const', value: 1, type: FLOAT }, { kind: 'stateRead', stateSlot: 0, type: FLOAT },
    { kind: 'stateRead', stateSlot: 1, type: FLOAT }, { kind: 'zip', inputs: [0, 2], fn: ADD, type: FLOAT }];
  const writes = [{ kind: 'stateWrite', stateSlot: 1, value: 1 }, { kind: 'stateWrite', stateSlot: 0, value: 3 }];
  const reads = [{ kind: 'evalSig', expr: 1, target: 1 }, { kind: 'evalSig', expr: 2, target: 2 },
    { kind: 'evalSig', expr: 3, target: 3 }];
  const twoPhase = program({ signals, steps: [...writes, ...reads], slots: 3, stateSlots: 2 });
  const twoPhaseState = stateFor(twoPhase);
  // The single-phase row: an empty schedule advances the frame id and time, then the steps run
  // in list order with each write applied in place, through the real evaluator and memo.
  const empty = program({ signals, steps: [], slots: 3, stateSlots: 2 });
  const inPlaceState = stateFor(empty);
  const rows = { twoPhase: [] as number[], inPlace: [] as number[] };
  for (let frame = 1; frame <= 6; frame++) {
    runFrame(twoPhase, twoPhaseState, frame * 16);
    rows.twoPhase.push(twoPhaseState.values.f64[offsetOf(3)]);
    runFrame(empty, inPlaceState, frame * 16);
    let sum = 0;
    for (const step of [...writes, ...reads] as any[]) {
      const value = evaluateSignal(step.kind === 'stateWrite' ? step.value : step.expr, signals, inPlaceState);
      if (step.kind === 'stateWrite') inPlaceState.state[step.stateSlot] = value;
      else if (step.expr === 3) sum = value;
    }
    rows.inPlace.push(sum);
  }
  console.log(`Example 3, two delays: sum two-phase ${rows.twoPhase.join(' ')}; single-phase with memo ${rows.inPlace.join(' ')}`);
}

function slotReadDefect(): void {
  const p = program({
    signals: [{ kind: 'const', value: 7, type: FLOAT }, { kind: 'slot', slot: 1, type: FLOAT }],
    steps: [{ kind: 'evalSig', expr: 0, target: 1 }, { kind: 'evalSig', expr: 1, target: 2 }], slots: 2,
  });
  const state = stateFor(p);
  runFrame(p, state, 16);
  console.log(`D3: slot 1 (offset 4) holds ${state.values.f64[offsetOf(1)]}; reading slot 1 gave `
    + `${state.values.f64[offsetOf(2)]}; palette = ${Array.from(state.values.f64.slice(0, 4)).join(', ')}`);
}

function phase2ThrowDefect(): void {
  const p = program({
    signals: [{ kind: 'const', value: 5, type: FLOAT }, { kind: 'const', value: 1, type: FLOAT },
      { kind: 'map', input: 1, fn: { kind: 'expr', expr: 'x' }, type: FLOAT }],
    steps: [{ kind: 'stateWrite', stateSlot: 0, value: 0 }, { kind: 'stateWrite', stateSlot: 1, value: 2 }],
    slots: 1, stateSlots: 2,
  });
  const state = stateFor(p);
  try {
    runFrame(p, state, 16);
  } catch (error) {
    console.log(`D4: executeFrame threw "${(error as Error).message}"; state = [${Array.from(state.state).join(', ')}]`);
  }
}

function fieldStateWriteDefect(): void {
  const candidates: Array<[string, Record<string, unknown>]> = [
    ['broadcast', { kind: 'broadcast', signal: 0, type: FIELD }],
    ['intrinsic index', { kind: 'intrinsic', instanceId: 'i0', intrinsic: 'index', type: FIELD }],
  ];
  for (const [label, field] of candidates) {
    const p = program({
      signals: [{ kind: 'const', value: 3, type: FLOAT }], fields: [field],
      steps: [{ kind: 'fieldStateWrite', stateSlot: 0, value: 0 }], slots: 1, stateSlots: 4,
      instances: FOUR_LANES,
    });
    const state = stateFor(p);
    runFrame(p, state, 16);
    console.log(`D6: ${label} field, type instance ${types.requireManyInstance(FIELD).instanceId}, `
      + `own instanceId ${'instanceId' in field}: state = [${Array.from(state.state).join(', ')}]`);
  }
}

function tapDefect(): void {
  const session = runtime.createSessionState();
  const first = runtime.createRuntimeStateFromSession(session, 4);
  const before = first.tap;
  first.tap = { recordSlotValue() {} };
  const second = runtime.createRuntimeStateFromSession(session, 4);
  console.log(`D16: tap from a fresh session ${before}; after setting one, a second state's tap ${second.tap}`);
}

function eventsAndPlacement(): void {
  const p = program({
    events: [{ kind: 'pulse', source: 'InfiniteTimeRoot' }],
    fields: [{ kind: 'placement', instanceId: 'i0', field: 'rank', basisKind: 'halton2D', type: FIELD }],
    steps: [{ kind: 'evalEvent', expr: 0, target: 0 }, { kind: 'materialize', field: 0, instanceId: 'i0', target: 1 }],
    slots: 1, objectSlots: [1], eventSlots: 1, instances: FOUR_LANES,
  });
  const state = stateFor(p);
  const fired: number[] = [];
  const basisSizes = [state.continuity.placementBasis.size];
  for (let frame = 1; frame <= 6; frame++) {
    runFrame(p, state, frame * 16);
    fired.push(state.eventScalars[0]);
    basisSizes.push(state.continuity.placementBasis.size);
  }
  console.log(`pulse scalar, frames 1-6: ${fired.join(' ')}`);
  console.log(`placement basis entries, before and after frames 1-6: ${basisSizes.join(' ')}`);
}

function wrapEvent(): void {
  // The held value of Example 2: lerp(previous state, tMs, wrap event of phaseA).
  const p = program({
    signals: [{ kind: 'time', which: 'tMs', type: FLOAT }, { kind: 'time', which: 'phaseA', type: FLOAT },
      { kind: 'stateRead', stateSlot: 0, type: FLOAT }, { kind: 'eventRead', eventSlot: 0, type: FLOAT },
      { kind: 'zip', inputs: [2, 0, 3], fn: { kind: 'opcode', opcode: 'lerp' }, type: FLOAT }],
    events: [{ kind: 'wrap', signal: 1 }],
    steps: [{ kind: 'evalSig', expr: 0, target: 1 }, { kind: 'evalSig', expr: 1, target: 2 },
      { kind: 'evalEvent', expr: 0, target: 0 }, { kind: 'evalSig', expr: 4, target: 3 },
      { kind: 'stateWrite', stateSlot: 0, value: 4 }],
    slots: 3, stateSlots: 1, eventSlots: 1,
  });
  const state = stateFor(p);
  const changes: string[] = [];
  let held = -1;
  for (let tMs = 0; tMs < 8000; tMs += 20) {
    runFrame(p, state, tMs);
    const now = state.values.f64[offsetOf(3)];
    if (state.eventScalars[0] || now !== held) changes.push(`${tMs} ms: fired ${state.eventScalars[0]}, held ${now}`);
    held = now;
  }
  console.log(`wrap event at 20 ms frames, 0-8000 ms: ${changes.join('; ')}`);
}

function undeclaredInstance(): void {
  const state = runtime.createRuntimeState(4);
  const fields = [{ kind: 'const', value: 1, type: FIELD }];
  try {
    materialize(0, 'default', fields, [], new Map([['instance_0', { count: 16 }]]), state,
      { alloc: () => new Float32Array(16) });
  } catch (error) {
    console.log(`D8: materialize() for instance default threw "${(error as Error).message}"`);
  }
}

example1(1);
example1(types.floatConst(1));
example3();
slotReadDefect();
phase2ThrowDefect();
fieldStateWriteDefect();
tapDefect();
eventsAndPlacement();
wrapEvent();
undeclaredInstance();
