import "server-only";
export {
  createPrinter,
  deletePrinter,
  findPrinterByName,
  getPrinter,
  listPrinters,
  updatePrinter,
  type PrinterDto,
  type PrinterInput,
  type PrinterPatch,
} from "./printers";
export { listJobs, planFromLog, queueTestPage, reprintJob, type JobDto } from "./queue";
export { PrintDispatcher, startPrintDispatcher, DISPATCHER_DEFAULTS, type DispatcherOptions } from "./dispatcher";
