-- Dev mode only: a small demo catalogue so that the API has something to show.
INSERT INTO location (code, name, kind, priority, active, updated_at) VALUES
    ('WH-EAST', 'East distribution centre', 'WAREHOUSE', 10, true, now()),
    ('WH-WEST', 'West distribution centre', 'WAREHOUSE', 20, true, now()),
    ('STORE-SOHO', 'Soho store', 'STORE', 50, true, now())
ON CONFLICT (code) DO NOTHING;

INSERT INTO stock_level (sku, location, on_hand, safety_stock, version, updated_at)
SELECT sku, location, on_hand, safety_stock, 1, now()
FROM (VALUES
    ('SHOE-RED-42', 'WH-EAST', 120, 5), ('SHOE-RED-42', 'WH-WEST', 40, 0), ('SHOE-RED-42', 'STORE-SOHO', 6, 1),
    ('SHOE-BLU-42', 'WH-EAST', 80, 5), ('SHOE-BLU-42', 'STORE-SOHO', 3, 0),
    ('SOCK-WHT-M', 'WH-EAST', 1000, 20), ('SOCK-WHT-M', 'WH-WEST', 500, 20),
    ('HAT-GRN-OS', 'WH-WEST', 12, 0),
    ('LIMITED-DROP-1', 'WH-EAST', 100, 0)
) AS demo (sku, location, on_hand, safety_stock)
ON CONFLICT (sku, location) DO NOTHING;

INSERT INTO stock_movement (sku, location, kind, on_hand_delta, safety_stock_delta, reason, occurred_at)
SELECT s.sku, s.location, 'CORRECTION', s.on_hand, s.safety_stock, 'demo catalogue', now()
FROM stock_level s
WHERE NOT EXISTS (SELECT 1 FROM stock_movement m WHERE m.sku = s.sku AND m.location = s.location);
