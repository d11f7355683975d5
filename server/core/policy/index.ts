export * from "./rules";
export * from "./sizes";
export * from "./check";
export * from "./constraints";
export * from "./world";
export * from "./compliance";
