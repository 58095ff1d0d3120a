using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace IntegrationHub.Cli.Tests.Support;

/// <summary>Sheets a test writes as a department would save them: CSV (UTF-8 with BOM, as Excel's "CSV UTF-8") or XLSX.</summary>
internal static class Sheets
{
    public static string WriteCsv(string path, IEnumerable<string[]> rows)
    {
        var text = string.Join("\r\n", rows.Select(r => string.Join(',', r.Select(Quote)))) + "\r\n";
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return path;
    }

    /// <summary>An XLSX with one sheet; cells that read as numbers are stored as numbers, the others as text (as Excel does).</summary>
    public static string WriteXlsx(string path, string sheetName, IEnumerable<string[]> rows)
    {
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        foreach (var (index, cells) in rows.Index())
        {
            var row = new Row { RowIndex = (uint)(index + 1) };
            foreach (var (column, text) in cells.Index())
            {
                if (text.Length == 0)
                {
                    continue;
                }

                var reference = $"{Letters(column)}{index + 1}";
                row.Append(index > 0
                    && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
                    && !text.StartsWith('0')
                    ? new Cell { CellReference = reference, CellValue = new CellValue(text) }
                    : new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) });
            }

            data.Append(row);
        }

        part.Worksheet = new Worksheet(data);
        workbook.Workbook.AppendChild(new DocumentFormat.OpenXml.Spreadsheet.Sheets(
            new DocumentFormat.OpenXml.Spreadsheet.Sheet { Name = sheetName, SheetId = 1, Id = workbook.GetIdOfPart(part) }));
        return path;
    }

    private static string Letters(int column) => column < 26 ? ((char)('A' + column)).ToString()
        : $"{(char)('A' + (column / 26) - 1)}{(char)('A' + (column % 26))}";

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
