// Compiles one small patch with the compiler passes of an Oscilla Animator v2 checkout and
// prints the schedule they build: Example 2 of docs/runtime/execution-model.md.
//
// Usage (from the checkout, after `npm install` there, so that tsx and its imports resolve):
//   npx tsx /path/to/doclint/scripts/oscilla/print-schedule.mts [OSCILLA_CHECKOUT]
// The checkout defaults to $OSCILLA_ROOT, then the current directory.
//
// At commit 0d060ebe `compile()` cannot be imported: src/compiler/compile.ts imports
// src/blocks/signal-blocks.ts, whose Const block calls unitVar(), which throws at module load.
// So this script loads the block modules that do load and runs the same passes, in the same
// order, that compile() runs, with a stand-in for Const (see below). No registered block emits an event other than the time root's
// pulse, which fires every frame; to show an event that does not, the script registers one
// block of its own whose lowering emits the builder's wrap event.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(process.argv[2] ?? process.env.OSCILLA_ROOT ?? '.');
const load = (rel: string) => import(pathToFileURL(path.join(root, 'src', rel)).href);

const BLOCK_MODULES = [
  'time-blocks', 'primitive-blocks', 'array-blocks', 'instance-blocks', 'event-blocks',
  'color-blocks', 'render-blocks', 'io-blocks',
];
for (const name of BLOCK_MODULES) await load(`blocks/${name}.ts`);

const registry = await load('blocks/registry.ts');
const types = await load('core/canonical-types.ts');
const { buildPatch } = await load('graph/index.ts');
const { normalize } = await load('graph/normalize.ts');
const passes = await load('compiler/passes-v2/index.ts');

// Stand-in for the Const block of signal-blocks.ts, which normalize() inserts for every
// unwired input with a constant default source (the time root's periods among them). Its
// output type is what Const declares, with the unit placeholder that pass 1 resolves in place
// of the unitVar() call; it lowers numbers as Const's float and int arms do.
registry.registerBlock({
  type: 'Const',
  label: 'Const (stand-in, print-schedule.mts)',
  category: 'signal',
  form: 'primitive',
  capability: 'pure',
  cardinality: { cardinalityMode: 'preserve', laneCoupling: 'laneLocal', broadcastPolicy: 'allowZipSig' },
  payload: {
    allowedPayloads: { out: registry.ALL_CONCRETE_PAYLOADS },
    combinations: registry.ALL_CONCRETE_PAYLOADS.map((p: unknown) => ({ inputs: [], output: p })),
    semantics: 'typeSpecific',
  },
  inputs: { value: { type: types.canonicalType(types.FLOAT), value: 0, exposedAsPort: false } },
  outputs: {
    out: { label: 'Output', type: types.canonicalType(types.payloadVar('const_payload'), { kind: 'var', id: 'const_out' }) },
  },
  lower: ({ ctx, config }: any) => {
    const outType = ctx.outTypes[0];
    const kind = outType.payload.kind;
    if (kind !== 'float' && kind !== 'int') throw new Error(`stand-in Const: no ${kind} payload`);
    const value = kind === 'float' ? types.floatConst(config.value) : types.intConst(Math.floor(config.value));
    const id = ctx.b.sigConst(value, types.canonicalType(kind === 'float' ? types.FLOAT : types.INT));
    const stride = types.strideOf(outType.payload);
    return { outputsById: { out: { k: 'sig', id, slot: ctx.b.allocSlot(stride), type: outType, stride } } };
  },
});

// The script's own event source: fires on the frame its input rises through 0.5.
registry.registerBlock({
  type: 'ScriptPhaseWrap',
  label: 'Phase wrap (print-schedule.mts)',
  category: 'event',
  description: 'Wrap event of its input',
  form: 'primitive',
  capability: 'pure',
  inputs: { phase: { label: 'Phase', type: types.canonicalType(types.FLOAT, types.unitPhase01()) } },
  outputs: { wrap: { label: 'Wrap', type: types.canonicalEventOne() } },
  lower: ({ ctx, inputsById }: any) => {
    const event = ctx.b.eventWrap(inputsById.phase.id);
    return { outputsById: { wrap: { k: 'event', id: event, slot: ctx.b.allocEventSlot(event) } } };
  },
});

const patch = buildPatch((b: any) => {
  const time = b.addBlock('InfiniteTimeRoot', {});
  const wrap = b.addBlock('ScriptPhaseWrap', {});
  const hold = b.addBlock('SampleHold', { initialValue: 0 });
  b.wire(time, 'phaseA', wrap, 'phase');
  b.wire(time, 'tMs', hold, 'value');
  b.wire(wrap, 'wrap', hold, 'trigger');
  b.addBlock('ExternalVec2', { channelBase: 'mouse' });
  const ellipse = b.addBlock('Ellipse', {});
  const array = b.addBlock('Array', { count: 16 });
  const layout = b.addBlock('GridLayout', { rows: 4, cols: 4 });
  const color = b.addBlock('HsvToRgb', {});
  const render = b.addBlock('RenderInstances2D', {});
  b.wire(ellipse, 'shape', array, 'element');
  b.wire(array, 'elements', layout, 'elements');
  b.wire(layout, 'position', render, 'pos');
  b.wire(array, 't', color, 'hue');
  b.wire(color, 'color', render, 'color');
  b.wire(ellipse, 'shape', render, 'shape');
});

// The pass order of compile() in src/compiler/compile.ts.
const normalized = normalize(patch);
if (normalized.kind === 'error') throw new Error(`normalize: ${JSON.stringify(normalized.errors)}`);
const typed = passes.pass1TypeConstraints(normalized.patch);
if (typed.kind === 'error') throw new Error(`pass1: ${JSON.stringify(typed.errors)}`);
const graph = passes.pass5CycleValidation(
  passes.pass4DepGraph(passes.pass3Time(passes.pass2TypeGraph(typed))));
const unlinked = passes.pass6BlockLowering(graph, {});
if (unlinked.errors.length > 0) throw new Error(`pass6: ${JSON.stringify(unlinked.errors)}`);
const schedule = passes.pass7Schedule(unlinked, graph);

const signals = unlinked.builder.getSigExprs();
const events = unlinked.builder.getEventExprs();
const describeSig = (id: number): string => {
  const e = signals[id];
  const detail = e.kind === 'time' ? e.which : e.kind === 'external' ? e.which
    : e.kind === 'stateRead' ? `state[${e.stateSlot}]` : e.kind === 'eventRead' ? `event slot ${e.eventSlot}`
    : e.kind === 'const' ? JSON.stringify(e.value.value) : '';
  return `sig ${id} (${e.kind}${detail ? ' ' + detail : ''})`;
};
const describeValue = (id: number): string => {
  const e = signals[id];
  return e.kind === 'zip' ? `${describeSig(id)} of ${e.inputs.map(describeSig).join(', ')}` : describeSig(id);
};

console.log(`# ${schedule.steps.length} steps, ${schedule.stateSlotCount} state slots, `
  + `${schedule.eventSlotCount} event slots, instances: `
  + [...schedule.instances].map(([id, decl]: any) => `${id} (count ${decl.count})`).join(', '));
console.log(`# time model: ${JSON.stringify(schedule.timeModel)}`);
schedule.steps.forEach((step: any, i: number) => {
  const at = String(i).padStart(2);
  switch (step.kind) {
    case 'evalSig': return console.log(`${at} evalSig            ${describeValue(step.expr)} -> slot ${step.target}`);
    case 'slotWriteStrided':
      return console.log(`${at} slotWriteStrided   slots ${step.slotBase}+ <- ${step.inputs.map(describeSig).join(', ')}`);
    case 'continuityMapBuild': return console.log(`${at} continuityMapBuild ${step.instanceId}`);
    case 'materialize': return console.log(`${at} materialize        field ${step.field} over ${step.instanceId} -> slot ${step.target}`);
    case 'continuityApply':
      return console.log(`${at} continuityApply    ${step.semantic}: slot ${step.baseSlot} -> slot ${step.outputSlot}`);
    case 'evalEvent':
      return console.log(`${at} evalEvent          event ${step.expr} (${events[step.expr].kind}) -> event slot ${step.target}`);
    case 'render':
      return console.log(`${at} render             ${step.instanceId}: position slot ${step.positionSlot}, color slot ${step.colorSlot}`);
    case 'stateWrite': return console.log(`${at} stateWrite         state[${step.stateSlot}] <- ${describeSig(step.value)}`);
    default: return console.log(`${at} ${step.kind}`);
  }
});

const declared = new Set([...schedule.instances.keys()]);
const undeclared = new Set(schedule.steps.filter((s: any) => s.instanceId && !declared.has(s.instanceId))
  .map((s: any) => s.instanceId));
if (undeclared.size > 0) console.log(`# steps name instances not in ScheduleIR.instances: ${[...undeclared].join(', ')}`);
