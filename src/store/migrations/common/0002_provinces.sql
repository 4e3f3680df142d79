-- 0002: the province-level GB/T 2260 table (cities and counties are added
-- by `sitewarden import` or `sitewarden region add`).  Plain SQL valid in
-- every dialect: migrations/common/ is used by all of them.
INSERT INTO regions (code, name, parent_code, level) VALUES
('110000','北京市',NULL,1), ('120000','天津市',NULL,1), ('130000','河北省',NULL,1),
('140000','山西省',NULL,1), ('150000','内蒙古自治区',NULL,1), ('210000','辽宁省',NULL,1),
('220000','吉林省',NULL,1), ('230000','黑龙江省',NULL,1), ('310000','上海市',NULL,1),
('320000','江苏省',NULL,1), ('330000','浙江省',NULL,1), ('340000','安徽省',NULL,1),
('350000','福建省',NULL,1), ('360000','江西省',NULL,1), ('370000','山东省',NULL,1),
('410000','河南省',NULL,1), ('420000','湖北省',NULL,1), ('430000','湖南省',NULL,1),
('440000','广东省',NULL,1), ('450000','广西壮族自治区',NULL,1), ('460000','海南省',NULL,1),
('500000','重庆市',NULL,1), ('510000','四川省',NULL,1), ('520000','贵州省',NULL,1),
('530000','云南省',NULL,1), ('540000','西藏自治区',NULL,1), ('610000','陕西省',NULL,1),
('620000','甘肃省',NULL,1), ('630000','青海省',NULL,1), ('640000','宁夏回族自治区',NULL,1),
('650000','新疆维吾尔自治区',NULL,1), ('710000','台湾省',NULL,1),
('810000','香港特别行政区',NULL,1), ('820000','澳门特别行政区',NULL,1);
