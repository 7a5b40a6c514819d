// Typeless .js with ESM syntax: Node's syntax detection loads it as an ES module.
export const detected = 'esm syntax in a typeless .js file';
