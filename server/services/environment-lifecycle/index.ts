export { environmentFor, environmentIdByName } from "./access";
export { assignPendingEnvironments } from "./assign";
export { issueClientCertificate, rotateEnvironmentCredential } from "./credentials";
export { getEnvironmentDetail } from "./detail";
export { setEnvironmentHa } from "./ha";
export { moveEnvironment } from "./move";
export { previewEnvironment } from "./preview";
export { removeEnvironment, removeStateServerIfEmpty } from "./remove";
export { createOptions } from "./options";
