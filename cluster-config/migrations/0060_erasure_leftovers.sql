-- Erasure cannot half-happen any more: a termination deletes the questionnaire and the cabinet account in the
-- statement that writes its ledger entry. What terminations before this left behind goes now: the application's
-- reference in the ledger's JSON (it may name the member; the amounts stay) and any cabinet account of a
-- terminated card whose separate deletion failed.

update card_ledger set event = event - 'reference' where kind = 'terminated' and event ? 'reference';

delete from members m
where exists (select 1 from card_ledger l where l.card_number = m.card_number and l.kind = 'terminated');

delete from card_holders h
where exists (select 1 from card_ledger l where l.card_number = h.card_number and l.kind = 'terminated');
