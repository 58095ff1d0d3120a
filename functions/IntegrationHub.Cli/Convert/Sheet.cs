using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using nietras.SeparatedValues;

namespace IntegrationHub.Cli.Convert;

// One row of a sheet: its number as the spreadsheet shows it (1 = the header) and its cells by column (0 = A).
internal sealed record SheetRow(int Number, IReadOnlyList<string> Cells)
{
    // The cell's text, trimmed; empty for a blank or missing cell.
    public string this[int column] => column < Cells.Count ? Cells[column].Trim() : "";

    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

// A department's sheet as text cells, read the same way from CSV and XLSX so both give the same feed.
internal sealed record Sheet(string Name, IReadOnlyList<SheetRow> Rows)
{
    // Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
    public static string ColumnLetters(int column)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }

        return letters;
    }

    // Reads a CSV or XLSX file (by its extension); for XLSX the named worksheet, or the first.
    // Throws SheetUnusableException: The file cannot be read as a sheet at all.
    public static Sheet Read(string path, string? sheetName)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            return extension switch
            {
                ".csv" => sheetName is null ? ReadCsv(path) : throw new SheetUnusableException("--sheet applies to XLSX files; a CSV file is one sheet."),
                ".xlsx" => ReadXlsx(path, sheetName),
                _ => throw new SheetUnusableException($"{path}: give a .csv or .xlsx file (an .xls from old Excel: save it as .xlsx first)."),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SheetUnusableException($"Cannot read {path}: {ex.Message}");
        }
    }

    private static Sheet ReadCsv(string path)
    {
        var text = DecodeCsv(File.ReadAllBytes(path));
        var rows = new List<SheetRow>();
        using var reader = Sep.Reader(o => o with { Sep = new Sep(','), HasHeader = false, Unescape = true, DisableColCountCheck = true }).FromText(text);
        foreach (var row in reader)
        {
            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            rows.Add(new SheetRow(row.RowIndex + 1, cells));
        }

        return new Sheet(Path.GetFileName(path), rows);
    }

    // UTF-8 (with or without the BOM Excel's "CSV UTF-8" writes); otherwise GB18030, which is what Excel's plain "CSV"
    // writes on a Chinese Windows, and a superset of GBK and GB2312.
    private static string DecodeCsv(byte[] bytes)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var body = bytes.AsSpan().StartsWith(bom) ? bytes.AsSpan(3) : bytes.AsSpan();
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030").GetString(body);
        }
    }

    private static Sheet ReadXlsx(string path, string? sheetName)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(path, isEditable: false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw new SheetUnusableException($"{path} is not an XLSX workbook: {ex.Message}");
        }

        using (document)
        {
            var workbook = document.WorkbookPart ?? throw new SheetUnusableException($"{path} has no workbook.");
            var sheets = workbook.Workbook.Sheets?.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().ToList() ?? [];
            var sheet = sheetName is null ? sheets.FirstOrDefault() : sheets.FirstOrDefault(s => s.Name?.Value == sheetName);
            if (sheet?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
            {
                throw new SheetUnusableException(sheetName is null
                    ? $"{path} has no worksheet."
                    : $"{path} has no sheet named {sheetName}; it has: {string.Join(", ", sheets.Select(s => s.Name?.Value))}.");
            }

            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            var rows = new List<SheetRow>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                    while (cells.Count <= column)
                    {
                        cells.Add("");
                    }

                    cells[column] = CellText(cell, shared);
                }

                rows.Add(new SheetRow((int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1)), cells));
            }

            return new Sheet(sheet.Name?.Value ?? "", rows);
        }
    }

    private static string CellText(Cell cell, List<string> shared)
    {
        var value = cell.CellValue?.Text ?? "";
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(value, out var index) && index >= 0 && index < shared.Count ? shared[index] : "";
        }

        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        // Numbers (as stored: the shortest text that reads back as the same double), booleans, formula results.
        return value;
    }

    // The 0-based column of a reference such as D7.
    private static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var column = 0;
        var letters = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
            letters++;
        }

        return letters == 0 ? null : column - 1;
    }
}

internal sealed class SheetUnusableException(string message) : Exception(message);
