export declare const wheels: { pkg: string; version: string; bin: 'temporal' | 'temporal-test-server'; env: string }[];
