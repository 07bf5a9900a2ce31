//! On SQLite, whether anything was committed to the database since a
//! moment, by any connection of any process, without a statement: the
//! wal-index header in the `-shm` file beside the database, which every
//! writer in WAL mode updates on each commit (its `iChange` counter,
//! `mxFrame`, the salts and checksums; <https://www.sqlite.org/walformat.html>).
//! The header is written twice in a row; a reader trusts it only when both
//! copies agree, as SQLite's readers do.
//!
//! It lets this process keep verified tokens on SQLite (`auth::sessions`)
//! while a revocation by anyone (another `rungs` process, the `sqlite3`
//! shell) is seen by the next request: any commit changes the header, and
//! a changed header empties what was kept.

use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::PathBuf;
use std::sync::Mutex;

/// One copy of the wal-index header (`WalIndexHdr`, 48 bytes).
const HEADER: usize = 48;

/// A copy of the header: equal stamps mean nothing was committed between
/// their readings.
pub type Stamp = [u8; HEADER];

/// Reads the header of one database's `-shm` file.
pub struct WalWatch {
    path: PathBuf,
    /// The open file and its inode (a file deleted and made anew, when
    /// every connection closed, is opened again).
    file: Mutex<Option<(std::fs::File, u64)>>,
}

impl WalWatch {
    /// The watch of the database file at `database` (its `-shm` beside it).
    pub fn new(database: &str) -> WalWatch {
        WalWatch {
            path: PathBuf::from(format!("{database}-shm")),
            file: Mutex::new(None),
        }
    }

    /// The header now; `None` when it cannot be read or its two copies
    /// disagree (a writer is updating it): then nothing can be trusted.
    pub fn stamp(&self) -> Option<Stamp> {
        let inode = std::fs::metadata(&self.path).ok()?.ino();
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if guard.as_ref().is_none_or(|(_, ino)| *ino != inode) {
            *guard = Some((std::fs::File::open(&self.path).ok()?, inode));
        }
        let (file, _) = guard.as_ref()?;
        let mut both = [0u8; 2 * HEADER];
        file.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(HEADER);
        // `isInit` (byte 12) is set once the header was written.
        if first != second || first[12] == 0 {
            return None;
        }
        first.try_into().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_or_torn_header_is_no_stamp_and_a_whole_one_is() {
        let dir = std::env::temp_dir().join(format!("rungs-wal-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("x.db").to_string_lossy().into_owned();
        let watch = WalWatch::new(&db);
        assert_eq!(watch.stamp(), None, "no -shm file");
        let mut header = [0u8; 2 * HEADER];
        header[12] = 1;
        header[HEADER + 12] = 1;
        header[8] = 5;
        header[HEADER + 8] = 5;
        std::fs::write(format!("{db}-shm"), header).unwrap();
        assert!(watch.stamp().is_some(), "two equal copies");
        header[HEADER + 8] = 6;
        std::fs::write(format!("{db}-shm"), header).unwrap();
        assert_eq!(watch.stamp(), None, "copies that disagree");
        header[8] = 6;
        std::fs::write(format!("{db}-shm"), header).unwrap();
        let a = watch.stamp();
        header[8] = 7;
        header[HEADER + 8] = 7;
        std::fs::write(format!("{db}-shm"), header).unwrap();
        assert!(a.is_some() && watch.stamp().is_some() && a != watch.stamp());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
