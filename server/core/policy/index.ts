export * from "./rules";
export * from "./sizes";
export * from "./check";
export * from "./constraints";
export * from "./world";
export * from "./compliance";
export * from "./fleet-snapshot";
export * from "./placement-problem";
