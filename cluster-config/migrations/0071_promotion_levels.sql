-- A promotion may be only for some levels (their numbers, 1 being the lowest): null means every level.

alter table promotions add column levels integer[];
