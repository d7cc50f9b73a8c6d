// Types of scripts/generate-validators.mjs, for test/topology/generated-validator.test.ts.
export declare const schemaPath: string;
export declare const generatedValidatorPath: string;
export declare function generateTopologyValidator(): Promise<string>;
