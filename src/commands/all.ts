// Loads every command family, in a fixed order (command ids follow it).
import './string_family';
import './keyspace_family';
import './server_family';
import './set_family';
import './list_family';
import './zset_family';
import './hash_family';
import './sort_family';
import './blocking_family';
