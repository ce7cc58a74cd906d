-- A partner's refund names its transaction, not the card: these find the card a partner recorded a transaction on,
-- and the card a partner's refund id went to (a retry answers from there).

create index card_ledger_partner_transaction on card_ledger (operation_id) where kind = 'partner';

create index card_ledger_refund_operation on card_ledger (operation_id) where kind = 'refund';
