-- label_events had two indexes leading with conversation_id: (conversation_id) and
-- (conversation_id, reviewer_id, change_seq DESC). The second serves every lookup by
-- conversation the first did, so the first only cost writes: an import writes a history row
-- per label (1.7M at 1M conversations), each into every index.
-- DropIndex
DROP INDEX "label_events_conversation_id_idx";
