/** The department registry (docs/departments.md): other components import from here, and only from here. */
export {
  checkCode, checkDepartment, DeptFieldError, type DeptDraft, type DeptField, type DeptInput, type Department, type FieldLabels, FILE_FIELDS, KIND_NAMES, type OptionalField,
} from './department.ts'
export { DEFAULT_WATCH_MS, DeptDirectory } from './directory.ts'
export { type DeptEntry, DeptFileError, FILE_FORMATS, type FileFormat, formatOf, MAX_ENTRIES, parseDepartmentsFile } from './file.ts'
export {
  DeptExistsError, type FieldChange, findDepartment, listDepartments, saveDepartments, type SaveItem, type SaveMode, type SaveOptions, type SaveResult, UnknownDeptError,
} from './store.ts'
