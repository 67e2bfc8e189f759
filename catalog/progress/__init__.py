"""The pilot's progress: the target table (目标总表), acceptance records and the other records progress is measured on."""
