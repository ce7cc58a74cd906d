-- A receipt number is unique per station across all cards: the row is written in the same
-- transaction as the purchase's ledger rows, so a receipt earns on one card only.

create table station_receipts (
    station_id  text     not null,
    receipt_id  text     not null,
    card_number char(16) not null,
    primary key (station_id, receipt_id)
);

insert into station_receipts (station_id, receipt_id, card_number)
select distinct on (station_id, receipt_id) station_id, receipt_id, card_number
from card_ledger
where kind = 'purchase' and station_id is not null and receipt_id is not null
order by station_id, receipt_id, seq;
