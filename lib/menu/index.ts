import "server-only";
export * from "./allergens";
export * from "./model";
export * from "./catalog";
export * from "./availability";
export * from "./partners";
export { priceLines, type LineInput, type PricedLine } from "./pricing";
export * from "./transfer";
