#!/usr/bin/env node
// header

@sealed
export class Counter {}
export { Counter as Other };
