using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Validation;

// The contract's rules that a JSON Schema cannot express (relations between fields, reference data, calendars). Runs
// only on schema-valid feeds, so field types are known.
// now: the receiver's clock, for rule:produced-not-in-future.
internal sealed class DomainRules(ReferenceData reference, DateTimeOffset now)
{
    // Feeds are produced in Changsha; a period starts at local midnight.
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    // How far a feed's producedAt may run ahead of the receiver's clock: a skewed clock, or China time written with a Z
    // (8 h ahead), should not cost a department its feed; a feed for a period that has not begun still fails.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromDays(1);

    public List<ValidationIssue> Errors { get; } = [];

    public List<ValidationIssue> Warnings { get; } = [];

    public void Check(string source, Period period, JsonElement root)
    {
        var producedAt = DateTimeOffset.TryParse(root.GetProperty("producedAt").GetString(),
            CultureInfo.InvariantCulture, out var parsed) ? parsed : DateTimeOffset.MaxValue;
        var periodStart = new DateTimeOffset(period.FirstDay.ToDateTime(TimeOnly.MinValue), ChinaStandardTime);
        if (producedAt < periodStart)
        {
            Error("/producedAt", "rule:produced-before-period",
                $"producedAt {producedAt:O} is before the period {period} starts ({periodStart:O}); a feed reports a period that has begun.");
        }
        else if (producedAt != DateTimeOffset.MaxValue && producedAt > now + ClockTolerance)
        {
            Error("/producedAt", "rule:produced-not-in-future",
                $"producedAt {producedAt:O} is more than a day after the hub's clock ({now:O}); a feed reports data that exists already, for a period "
                    + $"that has begun.");
        }

        if (root.TryGetProperty("benchmarks", out _) && period.Kind != PeriodKind.Year)
        {
            // Changsha's figure is an annual statistic; on a quarter it would be compared with a quarter's change.
            Error("/benchmarks", "rule:benchmarks-annual-only", $"benchmarks are sent with annual statistics only; {period} is not a year.");
        }

        var seenAreas = new HashSet<string>(StringComparer.Ordinal);
        var records = root.GetProperty("records");
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            var at = "/records/" + index.ToString(CultureInfo.InvariantCulture);
            var areaCode = record.GetProperty("areaCode").GetString()!;
            if (!reference.IsKnownArea(areaCode))
            {
                Error(at + "/areaCode", "rule:known-area", $"Area code '{areaCode}' is not in the area reference file.");
            }
            else if (!seenAreas.Add(areaCode))
            {
                Error(at + "/areaCode", "rule:unique-area", $"A second record for area '{areaCode}'; send at most one record per area.");
            }

            switch (source)
            {
                case FeedSource.Statistics:
                    CheckUnique(record, "energy", at, item => $"{item.GetProperty("sector").GetString()}/{item.GetProperty("fuel").GetString()}",
                        "", "rule:unique-energy-item", key => $"A second energy item for (sector, fuel) {key}; send one item per pair.");
                    CheckFeedstock(record, at);
                    break;
                case FeedSource.PowerGrid:
                    CheckUnique(record, "consumption", at, item => item.GetProperty("sector").GetString()!, "/sector", "rule:unique-consumption-sector",
                        key => $"A second consumption item for sector '{key}'; send one item per sector.");
                    AtMost(record, at, "pvPublicBuildingsInstalledKw", "pvInstalledKw", "rule:pv-public-le-total",
                        "PV on public buildings cannot exceed all distributed PV installed");
                    break;
                case FeedSource.Transport:
                    CheckVehicles(record, at);
                    CheckRegistrations(record, at);
                    AtMost(record, at, "publicParkingSpacesWithChargers", "publicParkingSpaces",
                        "rule:chargers-le-spaces", "Spaces with chargers are part of all public parking spaces");
                    break;
                case FeedSource.Environment:
                    CheckEnvironment(record, at, period);
                    break;
            }

            index++;
        }

        CheckParentsAgainstChildren(source, root);
    }

    // Feedstock is part of the record's fuels (heat and electricity cannot be a raw material), so it cannot exceed them
    // in tce.
    private void CheckFeedstock(JsonElement record, string at)
    {
        if (!record.TryGetProperty("feedstockTce", out var feedstock))
        {
            return;
        }

        var fuelsTce = record.GetProperty("energy").EnumerateArray()
            .Select(item => (Fuel: item.GetProperty("fuel").GetString()!, Quantity: item.GetProperty("quantity").GetDouble()))
            .Where(item => item.Fuel is not ("heat" or "electricity"))
            .Sum(item => item.Quantity * reference.Value("standardCoal." + item.Fuel));
        var value = feedstock.GetDouble();
        if (value > fuelsTce)
        {
            Error(at + "/feedstockTce", "rule:feedstock-le-fuels", string.Create(CultureInfo.InvariantCulture,
                $"feedstockTce ({value}) exceeds the record's fuels other than heat and electricity, {fuelsTce} tce: feedstock is part of them."));
        }
    }

    private void CheckRegistrations(JsonElement record, string at)
    {
        if (!record.TryGetProperty("newRegistrations", out var items))
        {
            return;
        }

        CheckUnique(record, "newRegistrations", at, item => item.GetProperty("category").GetString()!, "/category", "rule:unique-registration-category",
            key => $"A second registrations item for category '{key}'; send one item per category.");
        var j = 0;
        foreach (var item in items.EnumerateArray())
        {
            var parts = item.GetProperty("bev").GetDouble() + item.GetProperty("fcev").GetDouble() + item.GetProperty("phev").GetDouble();
            var total = item.GetProperty("total").GetDouble();
            if (parts > total)
            {
                Error($"{at}/newRegistrations/{j.ToString(CultureInfo.InvariantCulture)}",
                    "rule:registrations-le-total", string.Create(CultureInfo.InvariantCulture,
                    $"bev + fcev + phev ({parts}) exceeds total ({total}): they are kinds of the vehicles registered."));
            }

            j++;
        }
    }

    private void CheckVehicles(JsonElement record, string at)
    {
        CheckUnique(record, "vehicles", at, item => item.GetProperty("category").GetString()!, "/category", "rule:unique-vehicle-category",
            key => $"A second fleet item for category '{key}'; send one item per category.");
        var j = 0;
        foreach (var item in record.GetProperty("vehicles").EnumerateArray())
        {
            AtMost(item, $"{at}/vehicles/{j.ToString(CultureInfo.InvariantCulture)}", "nev", "total",
                "rule:nev-le-total", "New-energy vehicles are part of the fleet total");
            j++;
        }
    }

    private void CheckEnvironment(JsonElement record, string at, Period period)
    {
        var air = record.GetProperty("airQuality");
        AtMost(air, at + "/airQuality", "goodDays", "days", "rule:good-days-le-days", "Good-air days are counted among the observed days");
        var days = air.GetProperty("days").GetInt32();
        var monthLength = DateTime.DaysInMonth(period.Year, period.LastMonth);
        if (days > monthLength)
        {
            Error(at + "/airQuality/days", "rule:days-le-month-length", $"days is {days}, but {period} has {monthLength} days.");
        }

        if (record.TryGetProperty("dataCentres", out var centres))
        {
            CheckUnique(record, "dataCentres", at, item => item.GetProperty("id").GetString()!, "/id", "rule:unique-data-centre",
                key => $"Data centre '{key}' is listed twice in this record.");
            var j = 0;
            foreach (var centre in centres.EnumerateArray())
            {
                var it = centre.GetProperty("itMwh").GetDouble();
                var total = centre.GetProperty("totalMwh").GetDouble();
                if (total < it)
                {
                    Error($"{at}/dataCentres/{j.ToString(CultureInfo.InvariantCulture)}/totalMwh", "rule:pue-at-least-1",
                        string.Create(CultureInfo.InvariantCulture, $"totalMwh {total} is below itMwh {it}: a facility uses at least its IT load (PUE ≥ 1)."));
                }

                j++;
            }
        }

        if (record.TryGetProperty("buildings", out var buildings))
        {
            AtMost(buildings, at + "/buildings", "newGreenCompliant", "newCivilBuildings", "rule:green-le-new",
                "Green-compliant new buildings are part of the new civil buildings");
            AtMost(buildings, at + "/buildings", "publicBuildingsWithPv", "publicBuildingsEligibleForPv",
                "rule:pv-buildings-le-eligible", "Public buildings with PV are counted among the eligible ones");
            if (buildings.TryGetProperty("newGreenFloorArea10kM2", out var green) && buildings.TryGetProperty("newCivilFloorArea10kM2", out var civil)
                && green.GetDouble() > civil.GetDouble())
            {
                Error(at + "/buildings", "rule:green-floor-area-le-civil", string.Create(CultureInfo.InvariantCulture,
                    $"newGreenFloorArea10kM2 ({green.GetDouble()}) exceeds newCivilFloorArea10kM2 ({civil.GetDouble()}): green floor area is "
                        + $"part of the new civil floor area."));
            }
        }
    }

    // A department may send a parent area and its children; they should agree within the contract's tolerance.
    private void CheckParentsAgainstChildren(string source, JsonElement root)
    {
        var records = new Dictionary<string, (int Index, JsonElement Record)>(StringComparer.Ordinal);
        var index = 0;
        foreach (var record in root.GetProperty("records").EnumerateArray())
        {
            records.TryAdd(record.GetProperty("areaCode").GetString()!, (index++, record));
        }

        // Most feeds send leaves only: measures are flattened just for the parents that have children in the feed,
        // and for those children, rather than for every record.
        var tolerance = reference.Value("rule.parentChildTolerance");
        var flattened = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, double> Measures(string areaCode) =>
            flattened.TryGetValue(areaCode, out var measures) ? measures : flattened[areaCode] = MeasureCatalog.Flatten(source, records[areaCode].Record);

        foreach (var (areaCode, parent) in records)
        {
            var childCodes = reference.ChildrenOf(areaCode).Where(c => records.ContainsKey(c.Code)).Select(c => c.Code).ToArray();
            if (childCodes.Length == 0)
            {
                continue;
            }

            var children = childCodes.Select(Measures).ToArray();
            foreach (var (measure, value) in Measures(areaCode))
            {
                if (!MeasureCatalog.IsSummable(measure))
                {
                    continue;
                }

                var sum = children.Sum(c => c.GetValueOrDefault(measure));
                if (MeasureCatalog.DiffersBeyond(value, sum, tolerance))
                {
                    Warnings.Add(new ValidationIssue($"/records/{parent.Index.ToString(CultureInfo.InvariantCulture)}", "rule:parent-children-consistency",
                        "rule:parent-children-consistency",
                        string.Create(CultureInfo.InvariantCulture,
                            $"{measure} of {areaCode} is {value} but its {children.Length} child area(s) in this feed add up to {sum}; the "
                                + $"parent's own value is used.")));
                }
            }
        }
    }

    private void CheckUnique(JsonElement record, string arrayName, string at, Func<JsonElement, string> key,
        string suffix, string keyword, Func<string, string> message)
    {
        if (!record.TryGetProperty(arrayName, out var items))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var j = 0;
        foreach (var item in items.EnumerateArray())
        {
            var k = key(item);
            if (!seen.Add(k))
            {
                Error($"{at}/{arrayName}/{j.ToString(CultureInfo.InvariantCulture)}{suffix}", keyword, message(k));
            }

            j++;
        }
    }

    private void AtMost(JsonElement owner, string at, string part, string whole, string keyword, string why)
    {
        var partValue = owner.GetProperty(part).GetDouble();
        var wholeValue = owner.GetProperty(whole).GetDouble();
        if (partValue > wholeValue)
        {
            Error($"{at}/{part}", keyword, string.Create(CultureInfo.InvariantCulture, $"{part} ({partValue}) exceeds {whole} ({wholeValue}). {why}."));
        }
    }

    private void Error(string pointer, string keyword, string message) => Errors.Add(new ValidationIssue(pointer, keyword, keyword, message));
}
