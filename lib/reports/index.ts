export { reportSummary, reportPartner, checkRange, MAX_RANGE_DAYS, type ReportQuery } from "./service";
export { reportFigures, SOLD_STATUSES, type ReportFigures } from "./figures";
export { toCsv, CSV_TABLES, type CsvTable } from "./csv";
export { writeDueZReports, writeZReport, listZReports, getZReport, Z_CATCH_UP_DAYS } from "./z-report";
