package dev.stockroom.availability;

import java.util.List;
import java.util.Map;

/** Loads the stock levels of many SKUs in one query; a SKU with none maps to an empty list. */
interface LevelSource {

    Map<String, List<CachedLevel>> load(List<String> skus) throws Exception;
}
