"""Names that exist without being declared in the indexed sources: the language and its platforms."""

JS_GLOBALS = frozenset(
    """
    Array ArrayBuffer Atomics BigInt BigInt64Array BigUint64Array Boolean DataView Date Error EvalError
    FinalizationRegistry Float32Array Float64Array Function Infinity Int16Array Int32Array Int8Array
    Intl JSON Map Math NaN Number Object Promise Proxy RangeError ReferenceError Reflect RegExp Set
    SharedArrayBuffer String Symbol SyntaxError TypeError URIError Uint16Array Uint32Array Uint8Array
    Uint8ClampedArray WeakMap WeakRef WeakSet globalThis undefined null true false this super
    console window document navigator performance location history localStorage sessionStorage
    requestAnimationFrame cancelAnimationFrame setTimeout clearTimeout setInterval clearInterval
    queueMicrotask structuredClone fetch Request Response Headers URL URLSearchParams Blob File
    FileReader Worker MessageChannel MessagePort BroadcastChannel AbortController AbortSignal Event
    EventTarget CustomEvent KeyboardEvent MouseEvent PointerEvent WheelEvent HTMLElement
    HTMLCanvasElement HTMLDivElement HTMLInputElement CanvasRenderingContext2D OffscreenCanvas
    OffscreenCanvasRenderingContext2D ImageData ImageBitmap Path2D DOMMatrix DOMRect
    WebGLRenderingContext WebGL2RenderingContext GPUDevice ResizeObserver MutationObserver
    IntersectionObserver TextEncoder TextDecoder crypto atob btoa encodeURIComponent
    decodeURIComponent encodeURI decodeURI parseInt parseFloat isNaN isFinite eval require module
    exports process Buffer __dirname __filename import describe it test expect beforeEach afterEach
    beforeAll afterAll vi jest gc
    Partial Required Readonly Record Pick Omit Exclude Extract NonNullable Parameters ReturnType
    InstanceType Awaited ReadonlyArray ReadonlyMap ReadonlySet Iterable Iterator IterableIterator
    AsyncIterable PromiseLike ArrayLike PropertyKey ThisType Uppercase Lowercase Capitalize
    Uncapitalize any unknown never void object string number boolean bigint symbol
    """.split()
)

# Product and format names that look like identifiers in prose code spans.
PROSE_NAMES = frozenset(
    """
    JavaScript TypeScript GitHub GitLab WebGL WebGPU NodeJS PostgreSQL MySQL MongoDB GraphQL
    OpenAPI PyPI CommonMark YouTube LaTeX macOS iOS npm pnpm
    """.split()
)

# Members every function or class value has.
BUILTIN_MEMBERS = frozenset("prototype name length call apply bind constructor toString valueOf".split())
