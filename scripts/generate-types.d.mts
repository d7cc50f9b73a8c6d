// Types of scripts/generate-types.mjs, for test/topology/generated-types.test.ts.
export declare const schemaPath: string;
export declare const generatedPath: string;
export declare function generateTopologyTypes(): Promise<string>;
